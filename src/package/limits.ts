/** The real service's limits on a deploy package (README.md, What is served). */
export const PackageLimits = {
  maxFiles: 10_000,
  maxZipBytes: 39 * 1024 * 1024,
  maxUncompressedBytes: 600 * 1024 * 1024,
  maxSoapMessageBytes: 50 * 1024 * 1024,
};
