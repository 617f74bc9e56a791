// The Stage's cluster view: layout (pure), packet frames (pure), the d3/canvas renderer and its React mount.
export { TopologyPanel, topologyLabels, HOP_MS, type TopologyPanelProps, type SwarmProp } from './TopologyPanel';
export { layoutTopology, type TopologyModel, type LayoutOptions } from './layout';
export { packetFrame, type PacketFrame, type Place, type PlaceKind } from './frame';
export { createTopologyView, type PickTarget, type TopologyView, type TopologyLabels, type TopologyCallbacks } from './view';
export { swarmPlan, swarmFrame, swarmSettled, swarmRoadOf, MAX_SWARM, SWARM_TRIP_MS, type SwarmPlan, type SwarmDot, type SwarmOptions, type SwarmRoad } from './swarm';
