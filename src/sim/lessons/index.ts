// Lessons (lessons/<id>/, format in lessons/README.md): parsing, the workspace actions, checks.
export * from './parse';
export * from './check';
export * from './session';
