export * from './schema.ts';
export { fold } from './fold.ts';
export { DAY_MS, dayStart, parseFilterTime, type TimeSpan } from './time.ts';
export { foldedSystemFields, filterTypeOf, resolveField, type FieldRef } from './fields.ts';
export { planCondition, boundAt, type Plan, type Test, type Bound } from './plan.ts';
export { validateFilter, type FilterValidation } from './validate.ts';
export { compilePredicate, matches, type ContactPredicate, type FilterContact } from './evaluate.ts';
