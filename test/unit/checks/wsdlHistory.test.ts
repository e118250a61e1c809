import history from '../../../src/checks/schema/wsdlHistory.json';

/*
 * Spot checks of the table derived by scripts/derive-wsdl-history.js, against facts read by hand in
 * the WSDLs of forcedotcom/wsdl (resources/metadata.wsdl at the commits of API 47.0 to 66.0).
 */
type Field = [since: number, until: number | null, type: string, flags: string];
interface TypeHistory { since: number; until?: number; base?: string; fields: Record<string, Field> }
interface EnumHistory { since: number; until?: number; values: Record<string, number | [number, number]> }
const types = history.types as unknown as Record<string, TypeHistory>;
const enums = history.enums as unknown as Record<string, EnumHistory>;

describe('wsdlHistory.json', () => {
  it('covers API 47.0 to 66.0, one entry per version', () => {
    expect(history.versions).toEqual(Array.from({ length: 20 }, (_, i) => 47 + i));
  });

  it('has CustomField.formula as an optional xsd:string since 47', () => {
    expect(types.CustomField).toMatchObject({ since: 47, base: 'Metadata' });
    expect(types.CustomField.fields.formula).toEqual([47, null, 'xsd:string', 'o']);
  });

  it('has ApexClass, a MetadataWithContent, with a required xsd:double apiVersion', () => {
    expect(types.ApexClass.base).toBe('MetadataWithContent');
    expect(types.ApexClass.fields.apiVersion).toEqual([47, null, 'xsd:double', '']);
    expect(types.ApexClass.fields.packageVersions).toEqual([47, null, 'PackageVersion', 'om']);
  });

  it('dates fields added later: CustomField.elementType is absent from 59.0 and present from 60.0', () => {
    expect(types.CustomField.fields.elementType).toEqual([60, null, 'ElementType', 'o']);
  });

  it('dates removed fields: Flow.associatedRecord is only in 57.0, Flow.transforms stays', () => {
    expect(types.Flow.fields.associatedRecord).toEqual([57, 57, 'xsd:string', 'o']);
    expect(types.Flow.fields.transforms).toEqual([57, null, 'FlowTransform', 'om']);
  });

  it('has the FieldType enumeration with Text and LongTextArea since 47', () => {
    expect(enums.FieldType.since).toBe(47);
    expect(enums.FieldType.until).toBeUndefined();
    expect(enums.FieldType.values).toMatchObject({ Text: 47, LongTextArea: 47 });
  });

  it('marks enumerations gone from the newest version: XOrgSpokeStatus, last in 49.0', () => {
    expect(enums.XOrgSpokeStatus).toMatchObject({ since: 47, until: 49 });
    expect(enums.XOrgSpokeStatus.values.Connected).toEqual([47, 49]);
  });

  it('refers only to xsd builtins or to types and enumerations of the table (or ID)', () => {
    const known = new Set([...Object.keys(types), ...Object.keys(enums), 'ID']);
    const unknown = Object.entries(types).flatMap(([name, t]) =>
      Object.entries(t.fields)
        .filter(([, [, , type]]) => !type.startsWith('xsd:') && !known.has(type))
        .map(([field, [, , type]]) => `${name}.${field}: ${type}`));
    expect(unknown).toEqual([]);
  });
});
