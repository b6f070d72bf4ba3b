import { SaxesParser } from 'saxes';

/** The first well-formedness error of an XML 1.0 document (saxes is strict: characters included), or undefined. */
export function xmlProblem(xml: string): string | undefined {
  const parser = new SaxesParser();
  let problem: string | undefined;
  parser.on('error', (error) => {
    problem ??= error.message;
  });
  parser.write(xml).close();
  return problem;
}
