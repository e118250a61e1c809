import { Faults } from '../errors';
import type { RetrieveRequest } from '../jobs/retrieveEngine';
import type { Operation } from './operation';

export const retrieve: Operation = {
  aliases: { request: 'retrieveRequest' },
  handle(input, ctx) {
    const request = input.retrieveRequest as RetrieveRequest | undefined;
    if (!request) throw Faults.invalidOperation('A retrieveRequest is required');
    return ctx.services.retrieves.submit(ctx.caller, request);
  },
};

export const checkRetrieveStatus: Operation = {
  handle(input, ctx) {
    const id = typeof input.asyncProcessId === 'string' ? input.asyncProcessId.trim() : '';
    if (!id) throw Faults.invalidIdField('Invalid retrieve ID: an id is required');
    // jsforce never sends includeZip and expects the zip: only an explicit false leaves it out.
    return ctx.services.retrieves.status(ctx.caller.org.id, id, input.includeZip !== false);
  },
};
