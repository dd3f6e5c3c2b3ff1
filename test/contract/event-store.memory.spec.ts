import { eventStoreContract, globalEventIdContract } from '@strata/event-store/contract/event-store.contract';
import { openMemoryEventStore } from '@strata/event-store';

eventStoreContract('memory', async () => openMemoryEventStore());
globalEventIdContract('memory', async () => openMemoryEventStore());
