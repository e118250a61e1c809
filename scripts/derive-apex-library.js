#!/usr/bin/env node
/*
 * Derives Localforce's table of the Apex library (src/checks/apex/apexLibrary.json): the namespaces of the
 * platform's Apex types with the types each holds (System.String, Database.Batchable, ConnectApi.FeedItem…),
 * the standard sObjects (Account, AccountShare, ContactChangeEvent…), and for each type a file declares at its top
 * level, the class it extends and the names of its methods (lower case, static and instance alike). The deploy's
 * Apex check reads it to tell a type the platform has from one that exists nowhere (`Invalid type: X`), and a
 * method a platform type has from one it has not (`Method does not exist or incorrect signature: …`).
 *
 * The facts come from apex-dev-tools' stub libraries (BSD-3-Clause), which the apex-ls analyser reads: one Java
 * file per Apex type in `standard-types` (src/main/java/…/standardtypes/<Namespace>/<Type>.java, types nested
 * in a file being nested Apex types) and one per sObject, generated from an org, in `sobject-types`. Neither is
 * published on npm, so the output is committed. Run by hand by a maintainer with a clone of each:
 *   node scripts/derive-apex-library.js <git-dir of standard-types> <git-dir of sobject-types>
 */
'use strict';
const { execFileSync } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const OUT = join(__dirname, '..', 'src', 'checks', 'apex', 'apexLibrary.json');
const STANDARD = /^src\/main\/java\/io\/github\/apexdevtools\/standardtypes\/(\w+)\/(\w+)\.java$/;
const SOBJECT = /^src\/main\/java\/io\/github\/apexdevtools\/sobjecttypes\/(\w+)\.java$/;
/** A type declared inside another in a stub file (indented: the file's own type starts at the margin). */
const NESTED = /^[ \t]+(?:public |global )?(?:static |final |abstract |virtual )*(?:class|interface|enum) (\w+)/gm;

/** The top-level type of a stub file: its kind, name and the class it extends. */
const TOP_LEVEL = /^(?:public |global )?(?:static |final |abstract |virtual )*(class|interface|enum) (\w+)(?:<[^{]*?>)?(?: extends ([\w.]+))?/m;
/** A method declared in the top-level type's body: modifiers, a return type (generic or array), its name and `(`. */
const METHOD = /^\s*(?:(?:public|global|protected|private|static|final|abstract|virtual|override|default|native)\s+)*(?:<[^>]*>\s+)?[\w.$]+(?:<.*>)?(?:\[\])*\s+(\w+)\$?\s*\(/;

/**
 * The methods of a stub file's top-level type: declarations on the lines at brace depth 1, so that nested types'
 * methods are left out (stub bodies open and close on their own line). Java's reserved words are written with a
 * `$` after them (`equals$`): the Apex name is without it.
 */
function topLevelMethods(source) {
  const methods = new Set();
  let depth = 0;
  for (const line of source.split('\n')) {
    const code = line.replace(/\/\/.*$/, '');
    if (depth === 1) {
      const m = METHOD.exec(code);
      if (m) methods.add(m[1].toLowerCase());
    }
    for (const c of code) depth += c === '{' ? 1 : c === '}' ? -1 : 0;
  }
  return [...methods].sort();
}

/**
 * Standard sObjects real orgs have (some only with a feature turned on) that the stubs lack (they are generated from
 * one org), each with why it is known: a public project that deploys to real orgs uses it in Apex. Added to the
 * derived list, and named in its source.
 */
const SOBJECTS_THE_STUBS_MISS = {
  ContentNote: 'the object of Notes in Lightning; SalesforceLabs/ActivityTimelineLWC (an AppExchange app) queries and inserts it',
  MarketingAppExtAction: "Account Engagement's external actions (API 56.0 on, in orgs with Account Engagement); SalesforceLabs/External-Actions-Previewer (an AppExchange app) queries it",
  ...Object.fromEntries([
    'BuyerAccount', 'BuyerGroupMember', 'BuyerGroupPricebook', 'CommerceEntitlementBuyerGroup', 'CommerceEntitlementPolicy',
    'CommerceEntitlementProduct', 'WebStoreNetwork', 'WebStorePricebook', 'StoreIntegratedService', 'ProductMedia', 'ElectronicMediaGroup',
  ].map((name) => [name, 'B2B Commerce (API 49.0 on, in orgs with Commerce), beside WebStore and BuyerGroup, which the stubs have; SalesforceLabs/LB2BToolbox and B2BLECartUpload (AppExchange apps) use them'])),
  ...Object.fromEntries([
    'OrderSummary', 'OrderItemSummary', 'OrderItemSummaryChange', 'OrderDeliveryGroup', 'OrderDeliveryGroupSummary', 'OrderDeliveryMethod',
    'OrderPaymentSummary', 'OrderAdjustmentGroup', 'OrderAdjustmentGroupSummary', 'OrderItemAdjustmentLineItem', 'OrderItemAdjustmentLineSummary',
    'OrderItemTaxLineItem', 'OrderItemTaxLineItemSummary', 'OrderSummaryRoutingSchedule', 'SalesChannel',
  ].map((name) => [name, 'Order Management and Commerce checkout (API 48.0 on, in orgs with them), beside FulfillmentOrder and ReturnOrder, which the stubs have'])),
  GuestBuyerProfile: 'Commerce guest buyers (API 54.0 on); salesforce-misc/Data360AgentforceSolutionKitRetail uses it',
  ...Object.fromEntries([
    'LiveAgentSession', 'LiveChatButton', 'LiveChatDeployment', 'LiveChatTranscript', 'LiveChatTranscriptEvent', 'LiveChatTranscriptSkill',
    'LiveChatUserConfig', 'LiveChatVisitor',
  ].map((name) => [name, 'Chat (Live Agent), in orgs with it; SFDC-Assets/Monocle queries LiveChatTranscript'])),
  ...Object.fromEntries([
    'MobileCallEvent', 'MobileEmailEvent', 'MobileEnforcedPolicyEvent', 'MobileScreenshotEvent', 'MobileSmsEvent', 'MobileTelephonyEvent',
  ].map((name) => [name, 'Enhanced Mobile Security events (API 55.0 on); SFDC-Assets sfdc-security-demo and mobile-security, on scratch orgs with MobileSecurity'])),
  PartyRelationshipGroup: 'Public Sector Solutions (API 56.0 on); SFDC-Assets/PSA-Stakeholder-Management-Quick-Start uses it',
  ProviderVisit: 'Life Sciences Cloud visits; SFDC-Assets/lifesciencescloud-agent-templates uses it',
  Vehicle: 'Automotive Cloud (API 58.0 on); salesforce-misc/DataCloudAndAgentForceForAutomotive declares it',
  VehicleDefinition: 'Automotive Cloud (API 58.0 on), the definition a Vehicle is of',
};

const [standardDir, sobjectDir] = process.argv.slice(2);
if (!standardDir || !sobjectDir) {
  console.error('usage: node scripts/derive-apex-library.js <git-dir of standard-types> <git-dir of sobject-types>');
  process.exit(2);
}
const git = (dir, ...args) => execFileSync('git', [`--git-dir=${dir}`, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const files = (dir) => git(dir, 'ls-tree', '-r', '--name-only', 'HEAD').split('\n').filter(Boolean);
const described = (dir) => git(dir, 'log', '-1', '--format=%H %cs').trim();
const version = (dir) => /<version>(\d+\.\d+\.\d+)<\/version>/.exec(git(dir, 'show', 'HEAD:pom.xml'))?.[1];

const namespaces = {};
const members = {};
for (const path of files(standardDir)) {
  const m = STANDARD.exec(path);
  if (!m) continue;
  const [, namespace, type] = m;
  const names = (namespaces[namespace] ??= new Set());
  names.add(type);
  const source = git(standardDir, 'show', `HEAD:${path}`);
  for (const [, nested] of source.matchAll(NESTED)) names.add(nested);
  const top = TOP_LEVEL.exec(source);
  if (top && top[2] === type) {
    members[`${namespace}.${type}`] = { kind: top[1], ...(top[3] ? { extends: top[3] } : {}), methods: topLevelMethods(source) };
  }
}
const sobjects = [...new Set([...files(sobjectDir).map((path) => SOBJECT.exec(path)?.[1]).filter(Boolean), ...Object.keys(SOBJECTS_THE_STUBS_MISS)])].sort();

const table = {
  source: {
    'apex-dev-tools/standard-types': `${version(standardDir)} (${described(standardDir)})`,
    'apex-dev-tools/sobject-types': `${version(sobjectDir)} (${described(sobjectDir)})`,
    'sObjects added here': SOBJECTS_THE_STUBS_MISS,
  },
  namespaces: Object.fromEntries(Object.keys(namespaces).sort().map((ns) => [ns, [...namespaces[ns]].sort()])),
  sobjects,
  members: Object.fromEntries(Object.keys(members).sort().map((k) => [k, members[k]])),
};
writeFileSync(OUT, `${JSON.stringify(table, null, 0)}\n`);
const typeCount = Object.values(table.namespaces).reduce((n, names) => n + names.length, 0);
console.log(`derive-apex-library: ${Object.keys(namespaces).length} namespaces, ${typeCount} types, ${sobjects.length} sObjects -> ${OUT}`);
