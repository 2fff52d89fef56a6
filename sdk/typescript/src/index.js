import { resolveOptions } from './credentials.js';
import { Transport } from './http.js';
import { Sandboxes } from './sandbox.js';

export * from './errors.js';
export { Sandbox, Sandboxes, Previews, Artifacts } from './sandbox.js';
export { Commands, CommandHandle } from './commands.js';
export { Files } from './files.js';
export { credentialsPath, readCredentials, writeCredentials } from './credentials.js';

/** The CrowNest client. apiKey and baseUrl default to CROWNEST_API_KEY / CROWNEST_API_URL, then `crownest login`'s file. */
export class CrowNest {
  constructor(opts = {}) {
    const o = resolveOptions(opts);
    this.baseUrl = o.baseUrl.replace(/\/+$/, '');
    Object.defineProperty(this, 'http', { value: new Transport(o), enumerable: false });
    this.sandboxes = new Sandboxes(this.http);
  }

  /** Any other route of the API, JSON in and out (templates, snapshots, usage, audit...). */
  request(method, path, opts = {}) {
    return this.http.json(method, path, opts);
  }
}

/** A client from the environment (CROWNEST_API_KEY, CROWNEST_API_URL), overridden by opts. */
export function createCrowNestClient(opts = {}) {
  return new CrowNest(opts);
}

export default CrowNest;
