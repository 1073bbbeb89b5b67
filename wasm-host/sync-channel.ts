/**
 * A synchronous RPC between a guest worker and the main thread: the worker posts a call on a
 * MessagePort and sleeps in `Atomics.wait`; the main thread does the I/O, posts the reply and wakes
 * it with `Atomics.notify`; the worker then takes the reply with `receiveMessageOnPort`. So a
 * blocking hostcall really blocks the guest while Node keeps serving other requests.
 */
import { receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { CallReplies, GuestCall, GuestPost } from './rpc-messages.ts';

export type Envelope = { kind: 'post'; message: GuestPost } | { kind: 'call'; message: GuestCall };

/** The worker's half. `blockedMs` is the time spent waiting, which is not guest CPU time. */
export class WorkerChannel {
  blockedMs = 0;

  constructor(
    private readonly port: MessagePort,
    private readonly flag: Int32Array,
  ) {}

  post(message: GuestPost): void {
    this.port.postMessage({ kind: 'post', message } satisfies Envelope);
  }

  call<C extends GuestCall>(message: C): CallReplies[C['op']] {
    const started = performance.now();
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ kind: 'call', message } satisfies Envelope);
    for (;;) {
      Atomics.wait(this.flag, 0, 0);
      const received = receiveMessageOnPort(this.port);
      if (received) {
        Atomics.store(this.flag, 0, 0);
        this.blockedMs += performance.now() - started;
        return received.message as CallReplies[C['op']];
      }
      // Woken before the reply became visible on the port: give it a moment.
      Atomics.wait(this.flag, 0, 1, 1);
    }
  }
}

/** The main thread's half: answers one call and wakes the worker. */
export function replyToWorker(port: MessagePort, flag: Int32Array, reply: unknown): void {
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
