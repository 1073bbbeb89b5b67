/**
 * A decided answer as HTTP, once its head has left the page run (page-run.ts): a personalized
 * page gets the personalized head (page-headers.ts), a template passed through keeps its own
 * headers less the edge-only ones, and a failure gets the plain error page.
 */
import type { PersonalizedAnswer, PlainAnswer } from './page-answers.ts';
import { personalizedHeaders, withoutEdgeHeaders, type PersonalizedHead } from './page-headers.ts';
import { errorPage } from '../http/error-page.ts';

/** An answer with the head it leaves with: only a personalized one has a personalized head. */
export type Leaving = { answer: PersonalizedAnswer; head: PersonalizedHead } | { answer: PlainAnswer; head: null };

const UNAVAILABLE = 'This page is temporarily unavailable. Please try again shortly.';

export function pageResponse({ answer, head }: Leaving): Response {
  if (head !== null) return new Response(answer.body, { status: answer.status, headers: personalizedHeaders(head) });
  if (answer.kind === 'error') return errorPage(answer.status, UNAVAILABLE);
  return new Response(answer.body, { status: answer.status, headers: withoutEdgeHeaders(answer.headers) });
}
