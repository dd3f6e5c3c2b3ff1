import { Module } from '@nestjs/common';
import { DeleteMessageHandler } from './commands/delete-message.handler';
import { MessagesController } from './messages.controller';

/** Cinder's user messages: the failures of accepted requests, as the log records them. */
@Module({
  controllers: [MessagesController],
  providers: [DeleteMessageHandler],
})
export class MessagesModule {}
