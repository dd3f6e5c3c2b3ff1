import { eventStoreContract } from '@strata/event-store/contract/event-store.contract';
import { openMemoryEventStore } from '@strata/event-store';

eventStoreContract('memory', async () => openMemoryEventStore());
