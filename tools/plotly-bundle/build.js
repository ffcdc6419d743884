// Build plotly.js with only the trace types socialscan's report draws (scatter, scattergl, bar).
// The full bundle is ~4.8 MB and takes ~2.5 s to parse in headless Chromium on 2 cores; this
// one is ~1.5 MB. Same options as plotly.js's own esbuild-config.js.
//
//   cd tools/plotly-bundle && npm ci && npm run build
//
// Keep "plotly.js" in package.json equal to the plotly.js version the installed plotly (Python)
// package ships: socialscan falls back to plotly's full bundle when the two differ.
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const { glsl } = require('esbuild-plugin-glsl');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
const version = require('plotly.js/package.json').version;

esbuild
  .build({
    stdin: {
      contents: [
        "var Plotly = require('plotly.js/lib/core');",
        "Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/scattergl')]);",
        'module.exports = Plotly;',
      ].join('\n'),
      resolveDir: __dirname,
    },
    outfile: '../../socialscan/report/plotly-partial.min.js',
    banner: { js: `/* plotly.js v${version} partial bundle for socialscan: scatter, scattergl, bar. MIT licence. */` },
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    sourcemap: false,
    legalComments: 'eof',
    plugins: [InlineCSSPlugin(), glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
    alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016',
    logLevel: 'info',
  })
  .catch(() => process.exit(1));
