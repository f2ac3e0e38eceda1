export { fieldMapCategories } from './categories.js';
export { minimise } from './minimise.js';
export { permittedDataCategories } from './permitted.js';
export type { FieldCategories, FieldCategoriesFor } from './types.js';
