// What other packages (the cross-service tests) use of the catalog; main.ts runs it.
export { buildCatalogApp, type CatalogAppDeps } from './app.ts';
export { type CatalogConfig, loadCatalogConfig } from './config.ts';
export { demoProducts } from './demo-products.ts';
export { seedDemoCatalog, upsertProduct } from './product-writes.ts';
