/**
 * What a page request's answer is (page-answers.ts decides which), and the answer as HTTP once its
 * head has left the page run (page-run.ts): a personalized page gets the personalized head
 * (page-headers.ts), a template passed through keeps its own headers less the edge-only ones, and
 * a failure gets the plain error page.
 */
import type { PageCacheState } from '../log/decision-event.ts';
import type { FinishDetails, PageFinisher } from './page-event.ts';
import { personalizedHeaders, withoutEdgeHeaders, type PersonalizedHead } from './page-headers.ts';
import { errorPage } from '../http/error-page.ts';

/** A page with the personalized head: stored, assembled, or the head alone. */
export interface PersonalizedAnswer {
  kind: 'personalized';
  status: number;
  body: BodyInit | null;
  contentType: string;
  /** What the page cache did for this request (page-run.ts). */
  pageCache: PageCacheState;
  /** When ESI assembly started: the time until the head leaves is reported as fragment time. */
  assemblyStarted: number | null;
  /** The event's details now; null for an assembled page, whose `later` writes it once it has streamed. */
  event: FinishDetails | null;
  later: ((run: PageFinisher) => Promise<void>) | null;
}

/** The template's own answer, or an error page; `event` null: no event (not a page view). */
export type PlainAnswer =
  | { kind: 'origin'; status: number; body: ReadableStream<Uint8Array> | null; headers: Headers; event: FinishDetails | null }
  | { kind: 'error'; status: 502 | 503; event: FinishDetails };

export type PageAnswer = PersonalizedAnswer | PlainAnswer;

/** An answer with the head it leaves with: only a personalized one has a personalized head. */
export type Leaving = { answer: PersonalizedAnswer; head: PersonalizedHead } | { answer: PlainAnswer; head: null };

const UNAVAILABLE = 'This page is temporarily unavailable. Please try again shortly.';

export function pageResponse({ answer, head }: Leaving): Response {
  if (head !== null) return new Response(answer.body, { status: answer.status, headers: personalizedHeaders(head) });
  if (answer.kind === 'error') return errorPage(answer.status, UNAVAILABLE);
  return new Response(answer.body, { status: answer.status, headers: withoutEdgeHeaders(answer.headers) });
}
