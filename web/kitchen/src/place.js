// Where the tablet stands: the centre (of those the login covers) and its kitchen, with the
// reference data the screens name things by (centres, kitchens, tariffs), kept for offline use.
import { cachedJson } from "@buurtwerk/kit/api.js";
import { language } from "@buurtwerk/kit/i18n.js";

const CENTRE_KEY = "buurtwerk.kitchen.centre";

export class Place {
  constructor(login) {
    this.login = login;
    this.centres = [];
    this.kitchens = [];
    this.tariffs = [];
  }

  /** Read the reference data (the last copy when offline). */
  async load() {
    const session = this.login.session;
    const [centres, kitchens, tariffs] = await Promise.all(
      ["/centres?limit=200", "/kitchens?limit=200", "/tariffs?limit=200"].map((path) => cachedJson(path, session)));
    this.centres = centres.data.items;
    this.kitchens = kitchens.data.items;
    this.tariffs = tariffs.data.items;
  }

  /** The centres the login covers. */
  allowed() {
    const scope = this.login.session?.centres ?? [];
    return scope.includes("all") ? this.centres : this.centres.filter((c) => scope.includes(c.centre_id));
  }

  /** The centre the tablet works for: the one chosen last, if the login covers it. */
  centre() {
    const allowed = this.allowed();
    const chosen = localStorage.getItem(CENTRE_KEY);
    return allowed.find((c) => c.centre_id === chosen) ?? allowed[0] ?? null;
  }

  choose(centreId) {
    localStorage.setItem(CENTRE_KEY, centreId);
  }

  /** The centre's kitchen (the first, if it has several), or null. */
  kitchen() {
    const centre = this.centre();
    return centre ? this.kitchens.find((k) => k.centre_id === centre.centre_id) ?? null : null;
  }

  centreName(id) {
    const centre = this.centres.find((c) => c.centre_id === id);
    return centre ? (language() === "en" ? centre.name_en : centre.name_nl) : id;
  }

  /** A tariff's name, starting with a capital: "Standaardtarief". */
  tariffName(code) {
    const tariff = this.tariffs.find((x) => x.code === code);
    const name = tariff ? (language() === "en" ? tariff.en : tariff.nl) : code;
    return name.charAt(0).toUpperCase() + name.slice(1);
  }

  /** The tariffs in the reference order. */
  tariffOrder(codes) {
    const order = this.tariffs.map((x) => x.code);
    return [...codes].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  }
}
