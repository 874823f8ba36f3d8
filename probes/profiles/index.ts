import type { EntProfile } from '../../core/profile.js';
import { sandboxProfile } from './sandbox.js';

/** Built-in ENT profiles by id, referenced by `targets[].profile` in the config. Add a new family here. */
export const builtInProfiles: Readonly<Record<string, EntProfile>> = {
  sandbox: sandboxProfile,
};
