import type { Rule } from '../defineRule.js';
import AZ01 from './AZ-01.js';
import AZ02 from './AZ-02.js';
import AZ03 from './AZ-03.js';
import GCP01 from './GCP-01.js';
import GCP02 from './GCP-02.js';
import GCP03 from './GCP-03.js';

/** Google Cloud (GCP-NN) and Azure (AZ-NN) function rules. Each rule lives in its own file named after its id. */
export const gcpRules: Rule[] = [GCP01, GCP02, GCP03, AZ01, AZ02, AZ03];
