export { removeDemoTemplate as default } from './global-setup.js';
