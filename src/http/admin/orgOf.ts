import type { Response } from 'express';
import { to18 } from '../../ids';
import type { Services } from '../../services';
import type { Org } from '../../store/orgs';
import { restError } from '../restErrors';

/** The org an admin route names, by its 18-character id (or its 15-character form), or a 404 answered. */
export function orgOf(services: Services, res: Response, id: string | undefined): Org | undefined {
  const org = id && /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id) ? services.store.orgs.get(id.length === 15 ? to18(id) : id) : undefined;
  if (!org) restError(res, 404, 'NOT_FOUND', `No org with id ${id}`);
  return org;
}
