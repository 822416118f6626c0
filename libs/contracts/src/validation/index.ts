export * from './custom-constraints';
export * from './field-decorators';
export * from './input-shape';
export * from './validate-input';
export * from './with-code';
