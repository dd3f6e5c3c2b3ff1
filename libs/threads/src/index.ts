export { threadEntry, type ThreadEntry } from './thread-entry';
export { HEAP_GROWING_PERCENT, keepHeapsNearLiveSize } from './heap-growing';
export { EVENT_LOOP_SEMI_SPACE_MB, keepSemiSpaceToEventLoop, SERVICE_NODE_FLAGS } from './young-generation';
