import { Faults } from '../errors';
import type { DeployOptions } from '../model/resultTypes';
import { withWrittenMessages } from '../soap/componentMessages';
import type { Operation } from './operation';
import { SpooledZip } from '../package/spooledZip';

export const deploy: Operation = {
  handle(input, ctx) {
    // Decoded as it arrived (soap/zipFileAside.ts), or base64 text, whose blank space Buffer.from skips.
    const zip = Buffer.isBuffer(input.ZipFile) || input.ZipFile instanceof SpooledZip ? input.ZipFile
      : Buffer.from(typeof input.ZipFile === 'string' ? input.ZipFile : '', 'base64');
    if (!zip.length) throw Faults.invalidOperation('No zip file content passed in');
    return ctx.services.deploys.submit(ctx.caller, zip, (input.DeployOptions ?? {}) as Partial<DeployOptions>);
  },
};

const requireId = (value: unknown, name: string): string => {
  if (typeof value !== 'string' || !value.trim()) throw Faults.invalidIdField(`Invalid ${name}: an id is required`);
  return value.trim();
};

export const checkDeployStatus: Operation = {
  handle(input, ctx) {
    const id = requireId(input.asyncProcessId, 'deploy ID');
    if (input.includeDetails !== true) return ctx.services.deploys.poll(ctx.caller.org.id, id, false);
    const { result, messagesXml } = ctx.services.deploys.pollWritten(ctx.caller.org.id, id);
    return messagesXml ? { ...result, details: withWrittenMessages(result.details, messagesXml) } : result;
  },
};

export const cancelDeploy: Operation = {
  aliases: { id: 'String' },
  handle(input, ctx) {
    return ctx.services.deploys.cancel(ctx.caller, requireId(input.String, 'deploy ID'));
  },
};

export const deployRecentValidation: Operation = {
  handle(input, ctx) {
    return ctx.services.deploys.deployRecentValidation(ctx.caller, requireId(input.validationId, 'validation ID'));
  },
};
