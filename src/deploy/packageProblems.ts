/** The problem texts of package-level deploy messages, worded as the real service words them. */
export const PackageProblems = {
  noManifest: 'No package.xml found',
  notInManifest: 'Not in package.xml',
  unknownType: (name: string, manifest = 'package.xml') => `Unknown type name '${name}' specified in ${manifest}`,
  listedButMissing: (member: string, type: string) =>
    `An object '${member}' of type ${type} was named in package.xml, but was not found in zipped directory`,
  noSuchComponent: (type: string, member: string) => `No ${type} named: ${member} found`,
  wildcardInDestructive: (manifest: string) => `Wildcards are not allowed in ${manifest}: name each component to delete`,
  sameNameTwice: (type: string, name: string, other: string) =>
    `${type} ${name}: ${other} in the same deploy has the same name (names are unique regardless of case). Deploy one of them, or rename the other.`,
};
