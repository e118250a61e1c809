import { MetadataRegistry } from '../../../src/metadata/registry';
import { validateComponentName } from '../../../src/metadata/stored/nameRules';
it('probe', () => {
  const cases: [string, string][] = [
    ['ApexClass', 'A'], ['ApexClass', 'My_Class2'], ['ApexClass', '2A'], ['ApexClass', 'A__B'], ['ApexClass', 'A_'], ['ApexClass', 'A-B'], ['ApexClass', 'A B'], ['ApexClass', ''], ['ApexClass', ' A'], ['ApexClass', 'A'.repeat(256)], ['ApexClass', 'A'.repeat(41)],
    ['LightningComponentBundle', 'card'], ['LightningComponentBundle', 'Card'], ['LightningComponentBundle', 'myCard_x'], ['LightningComponentBundle', 'my-card'],
    ['Layout', 'Broker__c-Broker Layout'], ['Layout', 'Account-Account Layout'], ['Layout', 'A/B'], ['Layout', '..'], ['Layout', 'a..b'], ['Layout', 'A\tB'], ['Layout', 'A\u0000'], ['Layout', 'A\u007f'], ['Layout', 'A:B'],
    ['Report', 'F/R'], ['Report', 'F/G/R'], ['Report', 'R'], ['Report', 'F/../R'], ['Report', 'F//R'], ['Report', '/R'], ['Report', 'F/R/'], ['Report', 'A/B/C/D/E/R'], ['Report', 'A/B/C/D/R'], ['Report', 'F/My Report-1'],
    ['ReportFolder', 'F'], ['ReportFolder', 'F/G'], ['ReportFolder', 'F/G/H/I/J'], ['ReportFolder', 'F/G/H/I/J/K'], ['ReportFolder', 'F/G_'], ['ReportFolder', 'F/2G'], ['ReportFolder', 'F/..'], ['ReportFolder', 'F G'],
    ['Document', 'F/logo'], ['Document', 'logo'], ['EmailTemplate', 'T'], ['DocumentFolder', 'F/G'], ['DashboardFolder', 'F/G'], ['EmailFolder', 'F/G'],
    ['CustomMetadata', 'Config.Default'], ['QuickAction', 'Account.New'], ['CustomField', 'Account.X__c'], ['CustomLabel', 'Greeting'], ['ExperienceBundle', 'S1'], ['DigitalExperienceBundle', 'site/S'], ['DigitalExperienceBundle', 'site/S/x'],
  ];
  for (const [t, n] of cases) console.log(t, JSON.stringify(n.length > 50 ? n.slice(0, 5) + '…' + n.length : n), '=>', validateComponentName(MetadataRegistry.get(t)!.definition, n) ?? 'OK');
  console.log(MetadataRegistry.topLevel().length, MetadataRegistry.childrenOf('CustomObject').map((h) => h.definition.xmlName + ':' + h.definition.parent!.child.element));
  console.log(!!MetadataRegistry.resolve('Certificate', 36), !!MetadataRegistry.resolve('Certificate', 35), !!MetadataRegistry.resolve('Nope'), !!MetadataRegistry.resolve('CustomField', 31), !!MetadataRegistry.resolve('CustomField'));
  console.log(MetadataRegistry.topLevel().some((h) => h.definition.xmlName === 'CustomField'), MetadataRegistry.source());
});
