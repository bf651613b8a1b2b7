import { Field, ObjectType } from 'type-graphql';
import { ConnectionType } from './connection';
import { Task } from './task.entity';

@ObjectType({ description: 'The task as the mutation left it.' })
export class TaskPayload {
  @Field(() => Task, { description: 'The task, after the change.' })
  task!: Task;
}

export const TaskConnection = ConnectionType('Task', Task);
