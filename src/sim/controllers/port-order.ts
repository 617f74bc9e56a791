// The order of ports inside an Endpoints subset. The controller sorts them by a hash of
// each port (SortSubsets → portsByHash); until that hash is reproduced, keep the
// Service's own port order, which is what single-port Services (nearly all) show anyway.
import type { EndpointPort } from 'kubernetes-types/core/v1';

export function sortEndpointPorts(ports: EndpointPort[]): EndpointPort[] {
  return ports;
}
