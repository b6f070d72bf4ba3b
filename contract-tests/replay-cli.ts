import { Command, CommanderError, Option } from 'commander';
import { ContractSetupError } from './config.js';
import { DEFAULT_TOKEN } from './defaults.js';
import { replaySavedFailure } from './model/saved-failure.js';
import { printable } from './printable.js';

function program(): Command {
  return new Command()
    .name('cedana-policy-contract replay')
    .description('Replay one failure saved by --save-failures (its .json) against a target, without vitest')
    .argument('<file>', 'the saved failure (.json)')
    .addOption(new Option('--base-url <url>', 'the Policy API to replay against').env('CONTRACT_BASE_URL').makeOptionMandatory())
    .addOption(
      new Option('--token <token>', 'bearer token to send (shown as $CONTRACT_TOKEN)').env('CONTRACT_TOKEN').default(DEFAULT_TOKEN),
    )
    .addOption(new Option('--profile <file>', "ids that exist in the target (default: the saved failure's)").env('CONTRACT_PROFILE'))
    .addHelpText('after', '\nExit code: 0 the target no longer fails it, 1 it still does, 2 set-up problem.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
}

/** `cedana-policy-contract replay FILE`: prints each step, its curl lines and the verdict. */
export async function replayMain(argv: string[]): Promise<number> {
  let file: string;
  let flags: { baseUrl: string; token: string; profile?: string };
  try {
    const cmd = program().parse(argv, { from: 'user' });
    file = cmd.args[0] ?? '';
    flags = cmd.opts();
  } catch (error) {
    if (error instanceof CommanderError) return error.code === 'commander.helpDisplayed' ? 0 : 2;
    throw error;
  }
  try {
    const result = await replaySavedFailure(file, { baseUrl: flags.baseUrl, token: flags.token, profile: flags.profile || undefined });
    console.log(printable(result.report));
    return result.failure === undefined ? 0 : 1;
  } catch (error) {
    if (!(error instanceof ContractSetupError)) throw error;
    console.error(`contract: ${printable(error.message)}`);
    return 2;
  }
}
