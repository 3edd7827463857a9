/**
 * Data files shipped with the site (public/<path>), which experiments declare in `assets` so the
 * runtime loads them before create(): the worker fetches them from the site's own origin, the
 * CLI and the tests read them from disk. Loaded once per worker or process.
 */
import type { DataAsset } from '../types';
import { FASHION_MNIST_FILE, fashionMnistFromFile, isFashionMnistLoaded, provideFashionMnist } from './fashion-mnist';

/** Reads a file of the site by its path under public/, e.g. 'data/fashion-mnist-subset.bin.gz'. */
export type ReadSiteFile = (path: string) => Promise<Uint8Array>;

const loaders: Record<DataAsset, { loaded: () => boolean; load: (read: ReadSiteFile) => Promise<void> }> = {
  'fashion-mnist': {
    loaded: isFashionMnistLoaded,
    load: async (read) => provideFashionMnist(await fashionMnistFromFile(await read(FASHION_MNIST_FILE))),
  },
};

export function missingAssets(assets: readonly DataAsset[] = []): DataAsset[] {
  return assets.filter((asset) => !loaders[asset].loaded());
}

export async function loadAssets(assets: readonly DataAsset[], read: ReadSiteFile): Promise<void> {
  for (const asset of missingAssets(assets)) await loaders[asset].load(read);
}
