/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 60000,
  // The LWC compiler's packages point `main` at ES modules, which Node 20.19 requires natively but jest's
  // module loader cannot: it is given their CommonJS builds, the same code.
  moduleNameMapper: {
    '^@lwc/(compiler|errors|shared|template-compiler|style-compiler|babel-plugin-component|ssr-compiler)$': '<rootDir>/node_modules/@lwc/$1/dist/index.cjs',
  },
};
