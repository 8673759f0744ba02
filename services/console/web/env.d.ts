/** Stylesheets are imported for esbuild to bundle (adapters/bundle.ts); they export nothing. */
declare module '*.css';
