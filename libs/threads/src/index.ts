export { threadEntry, type ThreadEntry } from './thread-entry';
export { HEAP_GROWING_PERCENT, keepHeapsNearLiveSize } from './heap-growing';
export { keepSemiSpaceToEventLoop, SERVICE_NODE_FLAGS } from './young-generation';
