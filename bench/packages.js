'use strict';
/**
 * The packages the benchmark deploys, as { path: content } in metadata format (as `sf project deploy
 * start` zips them). Shared by bench/run.js and bench/zipLibraries.js, so both measure the same bytes.
 */
const NS = 'http://soap.sforce.com/2006/04/metadata';
const xml = (root, body) => `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">\n${body}</${root}>\n`;
const pad = (i, n = 4) => String(i).padStart(n, '0');

function manifest(types, version) {
  const blocks = Object.entries(types).sort(([a], [b]) => a.localeCompare(b))
    .map(([name, members]) => `    <types>\n${members.map((m) => `        <members>${m}</members>\n`).join('')}        <name>${name}</name>\n    </types>\n`);
  return xml('Package', `${blocks.join('')}    <version>${version}</version>\n`);
}

/** `count` new self-signed certificates with empty content (the org makes each key pair), as the sf CLI zips them. */
function certificatePackage(prefix, count, { keySize = 2048, version = '66.0' } = {}) {
  const names = Array.from({ length: count }, (_, i) => `${prefix}${pad(i)}`);
  const files = { 'package.xml': manifest({ Certificate: names }, version) };
  for (const n of names) {
    files[`certs/${n}.crt`] = '';
    files[`certs/${n}.crt-meta.xml`] = xml('Certificate', `    <caSigned>false</caSigned>\n    <keySize>${keySize}</keySize>\n    <masterLabel>${n}</masterLabel>\n`);
  }
  return files;
}

const apexClass = (name) => `public with sharing class ${name} {\n` +
  Array.from({ length: 12 }, (_, i) => `    public static Integer method${i}(Integer value) {\n        // Adds ${i} to the value given.\n        return value + ${i};\n    }\n`).join('') + '}\n';
const APEX_META = xml('ApexClass', '    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n');
const layout = (object) => xml('Layout', Array.from({ length: 4 }, (_, s) => '    <layoutSections>\n        <customLabel>false</customLabel>\n' +
  `        <detailHeading>false</detailHeading>\n        <editHeading>true</editHeading>\n        <label>Section ${s}</label>\n        <layoutColumns>\n` +
  Array.from({ length: 4 }, (_, f) => `            <layoutItems>\n                <behavior>Edit</behavior>\n                <field>Field${pad(s * 4 + f, 2)}__c</field>\n            </layoutItems>\n`).join('') +
  '        </layoutColumns>\n        <style>TwoColumnsTopToBottom</style>\n    </layoutSections>\n').join('') + `    <showHighlightsPanel>false</showHighlightsPanel>\n    <!-- ${object} -->\n`);
const field = (name, type = 'Text') => `    <fields>\n        <fullName>${name}</fullName>\n        <externalId>false</externalId>\n        <label>${name.replace(/__c$/, '').replace(/_/g, ' ')}</label>\n` +
  `${type === 'Text' ? '        <length>80</length>\n' : '        <precision>18</precision>\n        <scale>2</scale>\n'}        <required>false</required>\n        <type>${type}</type>\n        <unique>false</unique>\n    </fields>\n`;
const customObject = (name, fields) => xml('CustomObject', '    <deploymentStatus>Deployed</deploymentStatus>\n' +
  fields.map((f, i) => field(f, i % 3 ? 'Text' : 'Number')).join('') +
  `    <label>${name}</label>\n    <nameField>\n        <label>${name} Name</label>\n        <type>Text</type>\n    </nameField>\n    <pluralLabel>${name}s</pluralLabel>\n    <sharingModel>ReadWrite</sharingModel>\n` +
  `    <validationRules>\n        <fullName>Rule_A</fullName>\n        <active>true</active>\n        <errorConditionFormula>ISBLANK(${fields[0]})</errorConditionFormula>\n        <errorMessage>${fields[0]} &amp; more are required</errorMessage>\n    </validationRules>\n` +
  `    <validationRules>\n        <fullName>Rule_B</fullName>\n        <active>false</active>\n        <errorConditionFormula>${fields[1]} &lt; 0</errorConditionFormula>\n        <errorMessage>Not negative</errorMessage>\n    </validationRules>\n`);
const flow = (name) => xml('Flow', '    <apiVersion>66.0</apiVersion>\n    <assignments>\n        <name>Assign</name>\n        <label>Assign</label>\n        <locationX>176</locationX>\n        <locationY>287</locationY>\n' +
  '        <assignmentItems>\n            <assignToReference>$Record.Date__c</assignToReference>\n            <operator>Assign</operator>\n            <value>\n                <elementReference>$Flow.CurrentDate</elementReference>\n            </value>\n        </assignmentItems>\n    </assignments>\n' +
  `    <description>Flow ${name}</description>\n    <label>${name}</label>\n    <processType>AutoLaunchedFlow</processType>\n    <status>Active</status>\n`);
const permissionSet = (name, objects) => xml('PermissionSet', objects.map((o) => `    <objectPermissions>\n        <allowCreate>true</allowCreate>\n        <allowDelete>false</allowDelete>\n        <allowEdit>true</allowEdit>\n        <allowRead>true</allowRead>\n        <modifyAllRecords>false</modifyAllRecords>\n        <object>${o}</object>\n        <viewAllRecords>false</viewAllRecords>\n    </objectPermissions>\n`).join('') +
  `    <hasActivationRequired>false</hasActivationRequired>\n    <label>${name}</label>\n`);
const report = (name) => xml('Report', `    <columns>\n        <field>ACCOUNT.NAME</field>\n    </columns>\n    <format>Tabular</format>\n    <name>${name}</name>\n    <reportType>AccountList</reportType>\n    <scope>user</scope>\n    <showDetails>true</showDetails>\n`);

/**
 * A package of `total` files (package.xml included) of mixed types and layouts: Apex classes (content
 * files), Lightning web components (bundles), layouts, flows and permission sets (single files),
 * custom objects holding fields and validation rules (parents with children), reports in folders,
 * static resources, custom labels, and ten remote site settings (a type the org holds ten of,
 * for the listMetadata comparison). The shares are those of the projects measured in docs.
 */
function mixedPackage(total = 10_000, { version = '66.0' } = {}) {
  const files = {};
  const types = {};
  const member = (type, name) => (types[type] ??= []).push(name);
  const budget = total - 1 - 10 - 1 - 2; // package.xml, 10 remote sites, the labels file, and a spare pair of lines below
  // Shares of the file budget: classes 40%, bundles 18%, layouts 10%, static resources 10%, reports 10%, flows 5%, permission sets 5%, objects 2%.
  const n = (share) => Math.floor(budget * share);
  const classes = n(0.40) >> 1; // two files each
  const bundles = Math.floor(n(0.18) / 3);
  const objects = n(0.02);
  const objectNames = Array.from({ length: objects }, (_, i) => `Object${pad(i)}__c`);
  for (let i = 0; i < classes; i++) {
    const name = `Service${pad(i)}`;
    files[`classes/${name}.cls`] = apexClass(name);
    files[`classes/${name}.cls-meta.xml`] = APEX_META;
    member('ApexClass', name);
  }
  for (let i = 0; i < bundles; i++) {
    const name = `card${pad(i)}`;
    files[`lwc/${name}/${name}.js`] = `import { LightningElement, api } from 'lwc';\nexport default class Card${i} extends LightningElement {\n    @api recordId;\n    @api title = 'Card ${i}';\n}\n`;
    files[`lwc/${name}/${name}.html`] = `<template>\n    <lightning-card title={title}>\n        <p class="slds-p-horizontal_small">{recordId}</p>\n    </lightning-card>\n</template>\n`;
    files[`lwc/${name}/${name}.js-meta.xml`] = xml('LightningComponentBundle', '    <apiVersion>66.0</apiVersion>\n    <isExposed>true</isExposed>\n    <targets>\n        <target>lightning__RecordPage</target>\n    </targets>\n');
    member('LightningComponentBundle', name);
  }
  for (let i = 0; i < objects; i++) {
    const name = objectNames[i];
    files[`objects/${name}.object`] = customObject(name, Array.from({ length: 16 }, (_, f) => `Field${pad(f, 2)}__c`)) // the 16 its layouts show;
    member('CustomObject', name);
  }
  for (let i = 0; i < n(0.10); i++) {
    const name = `${objectNames[i % objects]}-Layout ${pad(i)}`;
    files[`layouts/${name}.layout`] = layout(objectNames[i % objects]);
    member('Layout', name);
  }
  for (let i = 0; i < n(0.10) >> 1; i++) {
    const name = `resource${pad(i)}`;
    files[`staticresources/${name}.resource`] = JSON.stringify({ name, values: Array.from({ length: 40 }, (_, v) => v * i) });
    files[`staticresources/${name}.resource-meta.xml`] = xml('StaticResource', '    <cacheControl>Private</cacheControl>\n    <contentType>application/json</contentType>\n');
    member('StaticResource', name);
  }
  const folders = 20;
  for (let f = 0; f < folders; f++) {
    files[`reports/Folder${pad(f, 2)}-meta.xml`] = xml('ReportFolder', `    <name>Folder ${f}</name>\n`);
    member('Report', `Folder${pad(f, 2)}`);
  }
  for (let i = 0; i < n(0.10) - folders; i++) {
    const name = `Folder${pad(i % folders, 2)}/Report${pad(i)}`;
    files[`reports/${name}.report`] = report(name);
    member('Report', name);
  }
  for (let i = 0; i < n(0.05); i++) {
    files[`flows/Flow${pad(i)}.flow`] = flow(`Flow${pad(i)}`);
    member('Flow', `Flow${pad(i)}`);
  }
  const labels = Array.from({ length: 200 }, (_, i) => `Label${pad(i)}`);
  files['labels/CustomLabels.labels'] = xml('CustomLabels', labels.map((l) => `    <labels>\n        <fullName>${l}</fullName>\n        <language>en_US</language>\n        <protected>false</protected>\n        <shortDescription>${l}</shortDescription>\n        <value>Value of ${l}</value>\n    </labels>\n`).join(''));
  member('CustomLabels', 'CustomLabels');
  for (let i = 0; i < 10; i++) {
    files[`remoteSiteSettings/Site${pad(i, 2)}.remoteSite`] = xml('RemoteSiteSetting', `    <disableProtocolSecurity>false</disableProtocolSecurity>\n    <isActive>true</isActive>\n    <url>https://site${i}.example.com</url>\n`);
    member('RemoteSiteSetting', `Site${pad(i, 2)}`);
  }
  // Permission sets fill the package up to `total` files exactly.
  const left = total - 1 - Object.keys(files).length;
  for (let i = 0; i < left; i++) {
    files[`permissionsets/Access${pad(i)}.permissionset`] = permissionSet(`Access${pad(i)}`, objectNames.slice(i % objects, (i % objects) + 3));
    member('PermissionSet', `Access${pad(i)}`);
  }
  files['package.xml'] = manifest(types, version);
  return files;
}

/** The ten remote site settings of mixedPackage alone: the small org that listMetadata's figure compares with. */
function remoteSitesPackage(version = '66.0') {
  const all = mixedPackage(10_000, { version });
  const files = Object.fromEntries(Object.entries(all).filter(([p]) => p.startsWith('remoteSiteSettings/')));
  files['package.xml'] = manifest({ RemoteSiteSetting: Object.keys(files).map((p) => p.slice('remoteSiteSettings/'.length, -'.remoteSite'.length)) }, version);
  return files;
}

/**
 * The shape of real orgs' object and profile deploys: `objects` custom objects of `fields` fields each, and
 * `profiles` profiles granting every field and object (with the default sizes, 37 MB of XML).
 */
function profilePackage({ objects = 40, fields = 400, profiles = 12, version = '66.0' } = {}) {
  const objectNames = Array.from({ length: objects }, (_, o) => `Bench${pad(o, 2)}__c`);
  const fieldNames = Array.from({ length: fields }, (_, f) => `Field${pad(f)}__c`);
  const files = {};
  for (const o of objectNames) files[`objects/${o}.object`] = customObject(o.replace(/__c$/, ''), fieldNames);
  const grants = objectNames.map((o) => fieldNames.map((f) =>
    `    <fieldPermissions>\n        <editable>true</editable>\n        <field>${o}.${f}</field>\n        <readable>true</readable>\n    </fieldPermissions>\n`).join('')).join('') +
    objectNames.map((o) => `    <objectPermissions>\n        <allowCreate>true</allowCreate>\n        <allowDelete>true</allowDelete>\n        <allowEdit>true</allowEdit>\n        <allowRead>true</allowRead>\n` +
      `        <modifyAllRecords>false</modifyAllRecords>\n        <object>${o}</object>\n        <viewAllRecords>false</viewAllRecords>\n    </objectPermissions>\n`).join('');
  const profileNames = Array.from({ length: profiles }, (_, p) => `Bench Profile ${pad(p, 2)}`);
  for (const p of profileNames) files[`profiles/${p}.profile`] = xml('Profile', `    <custom>true</custom>\n${grants}`);
  files['package.xml'] = manifest({ CustomObject: objectNames, Profile: profileNames }, version);
  return files;
}

/** One Apex class, the smallest deploy a CI pipeline makes. */
function oneClassPackage(version = '66.0') {
  return { 'package.xml': manifest({ ApexClass: ['BenchOne'] }, version), 'classes/BenchOne.cls': apexClass('BenchOne'), 'classes/BenchOne.cls-meta.xml': APEX_META };
}

/** `count` Apex classes with their meta files, and the manifest: 9,999 files for 4,999 classes. */
function apexClassesPackage(count = 4_999, version = '66.0') {
  const files = {};
  const names = Array.from({ length: count }, (_, i) => `Bulk${pad(i)}`);
  for (const name of names) {
    files[`classes/${name}.cls`] = apexClass(name);
    files[`classes/${name}.cls-meta.xml`] = APEX_META;
  }
  files['package.xml'] = manifest({ ApexClass: names }, version);
  return files;
}

/**
 * A package at the Metadata API's limits (a zip just under 39 MB, whose base64 fits the 50 MiB request; 10,000 files): static resources of random bytes,
 * which no deflate shrinks, with their meta files. `seed` makes the bytes the same from run to run.
 */
function limitsPackage({ resources = 4_999, zipBytes = 39 * 1000 * 1000, version = '66.0', seed = 1 } = {}) {
  const files = {};
  // What the zip adds to the resources' bytes: two headers and a name per entry, and the deflated meta files.
  const size = Math.floor((zipBytes - resources * 2 * 250) / resources);
  let state = seed;
  const names = Array.from({ length: resources }, (_, i) => `Limit${pad(i)}`);
  for (const name of names) {
    const bytes = Buffer.alloc(size);
    for (let b = 0; b < size; b += 4) { state = (Math.imul(state, 1664525) + 1013904223) >>> 0; bytes.writeUInt32LE(state, Math.min(b, size - 4)); }
    files[`staticresources/${name}.resource`] = bytes;
    files[`staticresources/${name}.resource-meta.xml`] = xml('StaticResource', '    <cacheControl>Private</cacheControl>\n    <contentType>application/octet-stream</contentType>\n');
  }
  files['package.xml'] = manifest({ StaticResource: names }, version);
  return files;
}

module.exports = { certificatePackage, mixedPackage, remoteSitesPackage, profilePackage, oneClassPackage, apexClassesPackage, limitsPackage, manifest };
