// The dataplane view, the inspector and the timeline, for the page to mount (props only; the
// store wires them). See each module for its props.
export { DataplaneView, DATAPLANE_KINDS, type DataplaneKind, type DataplaneViewProps, type LoadChain } from './DataplaneView';
export { Inspector, type InspectorProps } from '../inspector/Inspector';
export { Timeline, type TimelineProps } from '../timeline/Timeline';
export * as steps from './steps';
export * as clock from '../timeline/clock';
