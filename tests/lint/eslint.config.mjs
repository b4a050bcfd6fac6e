// ESLint over the web app (web/, plain ES modules in the browser) and the browser tests
// (tests/browser, Node.js ES modules that also hand functions to the page). Rules that find
// faults, not taste: undefined and unused names, loose equality, unreachable or dead code.
// Run: `ctest -R lint_web` or `npm run lint` here (both call lint.sh from the repository root).
import js from '@eslint/js';
import globals from 'globals';

const faults = {
  ...js.configs.recommended.rules,
  'no-unused-vars': ['error', { args: 'after-used', caughtErrors: 'none', ignoreRestSiblings: true }],
  eqeqeq: ['error', 'always', { null: 'ignore' }],
  'no-implicit-globals': 'error',
  'no-var': 'error',
  'no-shadow-restricted-names': 'error',
  'no-self-compare': 'error',
  'no-template-curly-in-string': 'error',
  'no-unreachable-loop': 'error',
  'no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
  // Only a use that runs before the declaration (the temporal dead zone), not one in a callback.
  'no-use-before-define': ['error', { functions: false, classes: false, variables: false }],
  'array-callback-return': 'error',
  'no-constructor-return': 'error',
  'no-new-wrappers': 'error',
  'no-return-assign': ['error', 'except-parens'],
  'no-useless-concat': 'error',
};

// Browser globals whose names are also ordinary words: a forgotten declaration of `name`,
// `event`, `status`, `top` … would silently read the window's property instead of failing.
const confusingBrowserGlobals = [
  'addEventListener', 'blur', 'close', 'closed', 'confirm', 'defaultStatus', 'event', 'external', 'find',
  'focus', 'frameElement', 'frames', 'history', 'innerHeight', 'innerWidth', 'length', 'locationbar',
  'menubar', 'moveBy', 'moveTo', 'name', 'onblur', 'onerror', 'onfocus', 'onload', 'onresize', 'onunload',
  'open', 'opener', 'outerHeight', 'outerWidth', 'pageXOffset', 'pageYOffset', 'parent', 'print',
  'removeEventListener', 'resizeBy', 'resizeTo', 'screen', 'screenLeft', 'screenTop', 'screenX', 'screenY',
  'scroll', 'scrollbars', 'scrollBy', 'scrollTo', 'scrollX', 'scrollY', 'self', 'status', 'statusbar', 'stop',
  'toolbar', 'top',
];

export default [
  {
    files: ['web/**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.browser } },
    rules: { ...faults, 'no-restricted-globals': ['error', ...confusingBrowserGlobals] },
  },
  {
    files: ['tests/browser/**/*.mjs', 'tests/lint/**/*.mjs'],
    // Page-side callbacks (page.evaluate) run in the browser, so both sets of names exist here.
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node, ...globals.browser } },
    rules: faults,
  },
  { ignores: ['**/node_modules/**', 'tests/browser/artifacts/**'] },
];
