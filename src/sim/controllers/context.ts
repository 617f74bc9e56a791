import type { ObjectStore } from '../api/store';
import type { ClusterConfig } from '../cluster/config';
import type { Clock } from '../api/clock';

/** What every controller works with. Controllers change the store; they return whether they did. */
export interface ControllerContext {
  store: ObjectStore;
  config: ClusterConfig;
  seed: number;
  clock: Clock;
}
