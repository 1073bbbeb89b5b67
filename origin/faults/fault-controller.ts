/**
 * The current fault of each backend, changed in-process (`faults.set`) or over HTTP
 * (`/__origin/faults`). One fault per backend: setting replaces, clearing restores normal service.
 */
import { BACKEND_NAMES, type BackendName } from '../backend-name.ts';
import { describeFault, type Fault } from './fault.ts';
import { parseFault } from './parse-fault.ts';

export type FaultListener = (backend: BackendName, fault: Fault | null) => void;

export class FaultController {
  readonly #faults = new Map<BackendName, Fault>();
  readonly #onChange: FaultListener | undefined;

  constructor(onChange?: FaultListener) {
    this.#onChange = onChange;
  }

  /** Sets the backend's fault; an invalid spec is a programming error and throws. */
  set(backend: BackendName, fault: Fault): void {
    const parsed = parseFault(fault);
    if (!parsed.ok) throw new TypeError(`invalid fault for ${backend}: ${parsed.error}`);
    this.#faults.set(backend, parsed.fault);
    this.#onChange?.(backend, parsed.fault);
  }

  /** Clears one backend's fault, or every backend's without an argument. */
  clear(backend?: BackendName): void {
    for (const name of backend ? [backend] : BACKEND_NAMES) {
      if (this.#faults.delete(name)) this.#onChange?.(name, null);
    }
  }

  get(backend: BackendName): Fault | null {
    return this.#faults.get(backend) ?? null;
  }

  /** The fault that applies to a request for `pathname`, if any. */
  match(backend: BackendName, pathname: string): Fault | null {
    if (pathname.startsWith('/__origin/')) return null;
    const fault = this.#faults.get(backend);
    if (!fault) return null;
    return fault.pathPrefix === undefined || pathname.startsWith(fault.pathPrefix) ? fault : null;
  }

  describe(backend: BackendName): string {
    const fault = this.get(backend);
    return fault ? describeFault(fault) : 'none';
  }
}
