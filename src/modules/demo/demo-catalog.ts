import type { NetworkProduct } from './network-data.js';

/**
 * The demo catalogue: apparel styles declined in sizes and colours (one SKU per style × colour × size),
 * about 500 SKUs. Prices are French retail prices in EUR cents.
 */
export interface StyleSpec {
  code: string;
  name: string;
  category: string;
  sizes: readonly string[];
  colours: readonly string[];
  priceMinor: number;
  weightGrams: number;
  /** Permanent basics: can be sold before stock arrives. */
  backorderable?: boolean;
  /** Next season's styles: sold ahead of the first delivery, not yet in stock anywhere. */
  preorderable?: boolean;
  /** Sold only by a drop-ship supplier or the marketplace seller: never stocked by stores or warehouses. */
  partnerOnly?: boolean;
}

const TOPS = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];
const TOPS5 = ['S', 'M', 'L', 'XL', 'XXL'];
const WOMEN = ['34', '36', '38', '40', '42', '44'];
const WAIST = ['W28', 'W30', 'W32', 'W34', 'W36', 'W38'];
const SHOES = ['36', '37', '38', '39', '40', '41', '42', '43', '44', '45'];
const ONE_SIZE = ['TU'];

export const COLOURS: Record<string, string> = {
  BLA: 'Blanc', NOI: 'Noir', MAR: 'Marine', GRI: 'Gris chiné', ECR: 'Écru', BLE: 'Bleu ciel', KAK: 'Kaki', BOR: 'Bordeaux',
  CAM: 'Camel', IND: 'Indigo', DEL: 'Délavé', BRU: 'Brut', ROU: 'Rouge', VER: 'Vert sapin', ROS: 'Rose poudré', TER: 'Terracotta',
  MOU: 'Moutarde', SAB: 'Sable', COG: 'Cognac', CHO: 'Chocolat',
};

export const STYLES: readonly StyleSpec[] = [
  { code: 'TSB', name: 'T-shirt col rond coton bio', category: 'tops', sizes: TOPS, colours: ['BLA', 'NOI', 'MAR', 'GRI', 'VER', 'ROU'], priceMinor: 1999, weightGrams: 180, backorderable: true },
  { code: 'TSV', name: 'T-shirt col V', category: 'tops', sizes: TOPS, colours: ['BLA', 'NOI', 'KAK'], priceMinor: 2299, weightGrams: 170 },
  { code: 'MAR', name: 'Marinière en jersey', category: 'tops', sizes: TOPS, colours: ['ECR', 'MAR'], priceMinor: 3999, weightGrams: 260 },
  { code: 'POL', name: 'Polo piqué', category: 'tops', sizes: TOPS5, colours: ['BLA', 'MAR', 'VER', 'ROU'], priceMinor: 3999, weightGrams: 240 },
  { code: 'CHO', name: 'Chemise Oxford', category: 'shirts', sizes: TOPS5, colours: ['BLA', 'BLE', 'ROS'], priceMinor: 4999, weightGrams: 280 },
  { code: 'CHL', name: 'Chemise en lin', category: 'shirts', sizes: TOPS5, colours: ['BLA', 'SAB', 'BLE'], priceMinor: 5999, weightGrams: 230 },
  { code: 'PUL', name: 'Pull col rond mérinos', category: 'knitwear', sizes: TOPS5, colours: ['MAR', 'GRI', 'BOR', 'CAM', 'VER'], priceMinor: 7999, weightGrams: 350 },
  { code: 'CAR', name: 'Cardigan en laine et cachemire', category: 'knitwear', sizes: TOPS5, colours: ['ECR', 'NOI'], priceMinor: 9999, weightGrams: 420 },
  { code: 'SWC', name: 'Sweat à capuche molleton', category: 'knitwear', sizes: TOPS, colours: ['GRI', 'MAR', 'VER', 'ECR'], priceMinor: 5499, weightGrams: 520 },
  { code: 'JSL', name: 'Jean slim stretch', category: 'denim', sizes: WAIST, colours: ['IND', 'NOI', 'GRI'], priceMinor: 6999, weightGrams: 640 },
  { code: 'JDR', name: 'Jean droit 5 poches', category: 'denim', sizes: WAIST, colours: ['BRU', 'DEL', 'IND'], priceMinor: 7499, weightGrams: 680 },
  { code: 'CHI', name: 'Chino en twill', category: 'trousers', sizes: WAIST, colours: ['SAB', 'MAR', 'KAK', 'NOI'], priceMinor: 5999, weightGrams: 520 },
  { code: 'SHO', name: 'Short en lin', category: 'trousers', sizes: TOPS5, colours: ['SAB', 'MAR'], priceMinor: 3999, weightGrams: 250, preorderable: true },
  { code: 'ROB', name: 'Robe portefeuille fluide', category: 'dresses', sizes: WOMEN, colours: ['NOI', 'TER', 'VER', 'MAR'], priceMinor: 8999, weightGrams: 330 },
  { code: 'ROE', name: 'Robe d’été en coton', category: 'dresses', sizes: WOMEN, colours: ['BLA', 'MOU'], priceMinor: 6999, weightGrams: 280, preorderable: true },
  { code: 'JUP', name: 'Jupe en jean', category: 'dresses', sizes: WOMEN, colours: ['IND', 'DEL'], priceMinor: 4999, weightGrams: 420 },
  { code: 'DEB', name: 'Débardeur côtelé', category: 'tops', sizes: TOPS, colours: ['BLA', 'NOI'], priceMinor: 1799, weightGrams: 140 },
  { code: 'PAN', name: 'Pantalon à pinces', category: 'trousers', sizes: WOMEN, colours: ['NOI', 'CAM', 'MAR'], priceMinor: 6999, weightGrams: 450 },
  { code: 'CHS', name: 'Chemisier en soie', category: 'shirts', sizes: WOMEN, colours: ['ECR', 'NOI', 'ROS'], priceMinor: 8999, weightGrams: 160 },
  { code: 'BLZ', name: 'Blazer en laine', category: 'outerwear', sizes: ['44', '46', '48', '50', '52', '54'], colours: ['MAR', 'GRI'], priceMinor: 19900, weightGrams: 900 },
  { code: 'VJN', name: 'Veste en jean', category: 'outerwear', sizes: TOPS5, colours: ['IND', 'DEL'], priceMinor: 8999, weightGrams: 850 },
  { code: 'PAR', name: 'Parka imperméable', category: 'outerwear', sizes: TOPS5, colours: ['KAK', 'MAR', 'NOI'], priceMinor: 17900, weightGrams: 1400 },
  { code: 'DOU', name: 'Doudoune légère', category: 'outerwear', sizes: TOPS5, colours: ['NOI', 'MAR', 'ROU'], priceMinor: 12900, weightGrams: 450 },
  { code: 'TRE', name: 'Trench en coton', category: 'outerwear', sizes: TOPS5, colours: ['CAM', 'NOI'], priceMinor: 21900, weightGrams: 1100 },
  { code: 'BAS', name: 'Baskets en cuir', category: 'shoes', sizes: SHOES, colours: ['BLA', 'NOI', 'MAR'], priceMinor: 8999, weightGrams: 950 },
  { code: 'BOT', name: 'Bottines chelsea', category: 'shoes', sizes: SHOES, colours: ['NOI', 'COG'], priceMinor: 13900, weightGrams: 1200 },
  { code: 'MOC', name: 'Mocassins en daim', category: 'shoes', sizes: SHOES.slice(4), colours: ['CHO'], priceMinor: 11900, weightGrams: 900, partnerOnly: true },
  { code: 'CEI', name: 'Ceinture en cuir', category: 'accessories', sizes: ['85', '90', '95', '100', '105'], colours: ['NOI', 'COG'], priceMinor: 3999, weightGrams: 200 },
  { code: 'SAC', name: 'Sac cabas en cuir', category: 'accessories', sizes: ONE_SIZE, colours: ['NOI', 'COG', 'CAM'], priceMinor: 15900, weightGrams: 800, partnerOnly: true },
  { code: 'PTF', name: 'Portefeuille en cuir', category: 'accessories', sizes: ONE_SIZE, colours: ['NOI', 'COG'], priceMinor: 4900, weightGrams: 120, partnerOnly: true },
  { code: 'BON', name: 'Bonnet côtelé', category: 'accessories', sizes: ONE_SIZE, colours: ['NOI', 'GRI', 'BOR', 'MOU'], priceMinor: 2499, weightGrams: 90 },
  { code: 'ECH', name: 'Écharpe en laine', category: 'accessories', sizes: ONE_SIZE, colours: ['GRI', 'CAM', 'BOR', 'MAR'], priceMinor: 3999, weightGrams: 180 },
  { code: 'CHA', name: 'Chaussettes coton (lot de 3)', category: 'accessories', sizes: ['35-38', '39-42', '43-46'], colours: ['NOI', 'MAR', 'GRI', 'ROU'], priceMinor: 1499, weightGrams: 120, backorderable: true },
  { code: 'CAS', name: 'Casquette en toile', category: 'accessories', sizes: ONE_SIZE, colours: ['MAR', 'SAB', 'KAK'], priceMinor: 2499, weightGrams: 110, preorderable: true },
];

export function styleByCode(code: string): StyleSpec {
  const style = STYLES.find((s) => s.code === code);
  if (!style) throw new Error(`unknown demo style ${code}`);
  return style;
}

export const skuOf = (style: string, colour: string, size: string): string => `${style}-${colour}-${size}`;

/** Products of a list of styles; the SKU encodes style, colour and size so people can read it. */
export function productsOf(styles: readonly StyleSpec[]): NetworkProduct[] {
  return styles.flatMap((style) =>
    style.colours.flatMap((colour) =>
      style.sizes.map((size) => {
        const colourName = COLOURS[colour] ?? colour;
        // Larger sizes weigh a little more: it changes parcel weights (carrier rates), not much else.
        const weight = Math.round(style.weightGrams * (1 + 0.04 * (style.sizes.indexOf(size) - 2)));
        return {
          sku: skuOf(style.code, colour, size),
          name: `${style.name} — ${colourName} — ${size === 'TU' ? 'taille unique' : size}`,
          styleId: style.code,
          attributes: { size, colour: colourName, category: style.category },
          prices: { EUR: style.priceMinor },
          weightGrams: weight,
          backorderable: style.backorderable ?? false,
          preorderable: style.preorderable ?? false,
        };
      }),
    ),
  );
}

/**
 * Share of demand per size (the middle sizes sell most): used to size stock so that the extremes are the
 * first to be missing in a store, as in real apparel assortments.
 */
export function sizeCurve(sizes: readonly string[], size: string): number {
  if (sizes.length === 1) return 1;
  const i = sizes.indexOf(size);
  const centre = (sizes.length - 1) / 2;
  const spread = Math.max(1, sizes.length / 3);
  return Math.exp(-(((i - centre) / spread) ** 2));
}
