import { buildEstate } from "./stacks/estate";
import { loadEstateConfig } from "./stacks/load-config";

export = buildEstate(loadEstateConfig());
