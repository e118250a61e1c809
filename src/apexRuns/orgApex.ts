import { XMLParser } from 'fast-xml-parser';
import type { StoredComponent } from '../store/components';
import type { Store } from '../store/store';
import type { ApexUnit } from './coverage';
import type { ApexSuite } from './testRunBuilder';

/** The source file of a class or trigger as deployed (`classes/X.cls`, `triggers/X.trigger`). */
const SOURCE: Record<ApexUnit['kind'], (name: string) => string> = {
  ApexClass: (name) => `classes/${name}.cls`,
  ApexTrigger: (name) => `triggers/${name}.trigger`,
};

const unitOf = (kind: ApexUnit['kind']) => (c: StoredComponent): ApexUnit => ({
  id: c.id, name: c.fullName, kind, body: c.files?.get(SOURCE[kind](c.fullName))?.toString('utf8') ?? '',
});

/** The org's Apex classes and triggers with their source, as stored by its deploys. */
export function apexUnits(store: Store, orgId: string): ApexUnit[] {
  return [
    ...store.components.list(orgId, 'ApexClass').map(unitOf('ApexClass')),
    ...store.components.list(orgId, 'ApexTrigger').map(unitOf('ApexTrigger')),
  ];
}

const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, isArray: (name) => name === 'testClassName' });

/** The org's test suites (ApexTestSuite components): the classes each names in its `testClassName` elements. */
export function apexSuites(store: Store, orgId: string): ApexSuite[] {
  return store.components.list(orgId, 'ApexTestSuite').map((c) => {
    const xml = [...(c.files?.values() ?? [])][0]?.toString('utf8') ?? c.content?.toString('utf8') ?? '';
    let classNames: string[] = [];
    try {
      const doc = parser.parse(xml) as { ApexTestSuite?: { testClassName?: unknown[] } };
      classNames = (doc.ApexTestSuite?.testClassName ?? []).filter((n): n is string => typeof n === 'string').map((n) => n.trim());
    } catch {
      // A suite that was stored can be read; one that cannot names no classes.
    }
    return { id: c.id, name: c.fullName, classNames };
  });
}
