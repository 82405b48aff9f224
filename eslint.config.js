// Lint rules that catch real mistakes; formatting is left to the editor.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import noUnsanitized from 'eslint-plugin-no-unsanitized';

export default tseslint.config(
  { ignores: ['dist/', 'client/dist/', 'node_modules/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true } },
    rules: {
      // An un-awaited promise is a lost error or an assertion that never runs.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The browser client: markup only through html`` and render() (client/src/html.ts). innerHTML,
  // outerHTML, insertAdjacentHTML, document.write… with anything but a constant fail here.
  { files: ['client/**/*.ts'], ...noUnsanitized.configs.recommended },
  {
    files: ['client/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        {
          // Leaflet puts string content in as HTML: give it textElement(...) or another node.
          selector: 'CallExpression[callee.property.name=/^(bindTooltip|bindPopup|setTooltipContent|setPopupContent)$/] > :matches(Literal, TemplateLiteral, BinaryExpression, Identifier, MemberExpression).arguments:first-child, CallExpression[callee.property.name=/^(bindTooltip|bindPopup|setTooltipContent|setPopupContent)$/] > ArrowFunctionExpression.arguments > :matches(Literal, TemplateLiteral, BinaryExpression).body',
          message: 'Leaflet tooltips and popups treat strings as HTML: pass textElement(text) or a node.',
        },
        {
          selector: 'CallExpression[callee.property.name="divIcon"] Property[key.name="html"] > :matches(TemplateLiteral, BinaryExpression).value',
          message: 'A divIcon\'s html is set as innerHTML: build it with html`...`.toString().',
        },
      ],
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } } },
);
