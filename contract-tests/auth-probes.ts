/**
 * Authorization headers beyond "none" and "a wrong token", each a way a token check goes wrong in
 * practice: an empty bearer, the scheme in another case with a wrong token (a check that only
 * looks at `Bearer …` lets it through), the real token with something appended (a prefix
 * comparison), and two Authorization field lines, the wrong one first (a check that takes the
 * last, or any, of them). RFC 9110 §11.1: the scheme is case-insensitive, so `bearer <the token>`
 * may be accepted or refused (`otherCaseToken`, never judged as a refusal the target owes).
 */
export type AuthProbe = 'emptyBearer' | 'otherCase' | 'otherCaseToken' | 'tokenWithSuffix' | 'twoHeaders';

/** The probes a target must refuse (401 or 403, or 400 for two Authorization headers), changing nothing. */
export const REFUSED_PROBES: readonly AuthProbe[] = ['emptyBearer', 'otherCase', 'tokenWithSuffix', 'twoHeaders'];

export const PROBE_WORDS: Record<AuthProbe, string> = {
  emptyBearer: 'an empty bearer token ("Bearer ")',
  otherCase: 'a wrong token under the scheme in lower case ("bearer …")',
  otherCaseToken: 'the token under the scheme in lower case ("bearer …", RFC 9110: schemes are case-insensitive)',
  tokenWithSuffix: 'the token with a character appended',
  twoHeaders: 'two Authorization headers, a wrong token first and the token second',
};

/** The Authorization field lines of a probe; `bearer` is "Bearer <token>" (or its masked form, for reports). */
export function probeLines(probe: AuthProbe, bearer: string, runId: string): string[] {
  const wrong = `Bearer contract-wrong-token-${runId}`;
  switch (probe) {
    case 'emptyBearer':
      return ['Bearer '];
    case 'otherCase':
      return [wrong.replace(/^Bearer/, 'bearer')];
    case 'otherCaseToken':
      return [bearer.replace(/^Bearer/, 'bearer')];
    case 'tokenWithSuffix':
      return [`${bearer}x`];
    case 'twoHeaders':
      return [wrong, bearer];
  }
}

/** The probe's header(s) as a report shows them (two lines under two spellings of the name). */
export function shownProbe(probe: AuthProbe, bearer: string, runId: string): Record<string, string> {
  const [first = '', second] = probeLines(probe, bearer, runId);
  return second === undefined ? { Authorization: first } : { Authorization: first, authorization: second };
}
