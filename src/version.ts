/**
 * The widget module's name and version, read from package.json: the one place
 * the version is written (the Python package reads it from there too).
 *
 * `require` is resolved by the bundler (and by jest); the path is the same from
 * `src/` and from the compiled `lib/`.
 */
declare function require(id: '../package.json'): unknown;

function readPackage(value: unknown): { name: string; version: string } {
  if (typeof value === 'object' && value !== null) {
    const name: unknown = Reflect.get(value, 'name');
    const version: unknown = Reflect.get(value, 'version');
    if (typeof name === 'string' && typeof version === 'string') {
      return { name, version };
    }
  }
  throw new Error('nbtrace: package.json has no name or version');
}

const pkg = readPackage(require('../package.json'));

/** The widget module name (`_model_module` / `_view_module` in Python). */
export const MODULE_NAME = pkg.name;

/** The npm package version, registered with the widget registry. */
export const MODULE_VERSION = pkg.version;

/** The semver range the Python widget asks for (`_model_module_version`). */
export const MODULE_SEMVER = `^${pkg.version}`;
