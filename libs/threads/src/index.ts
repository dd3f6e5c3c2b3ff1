export { threadEntry, type ThreadEntry } from './thread-entry';
