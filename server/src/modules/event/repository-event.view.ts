import type { RepositoryEventType } from '../repository/index.js';

/** An event as lists and live messages carry it: plain fields, its repository by id. */
export interface RepositoryEventView {
  id: number;
  type: RepositoryEventType;
  message: string;
  createdAt: Date;
  repository: { id: number };
}
