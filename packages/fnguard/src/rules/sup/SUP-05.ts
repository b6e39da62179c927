// biome-ignore-all lint/suspicious/noTemplateCurlyInString: remediation text quotes CloudFormation/Terraform `${}` syntax
import { isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions } from '../lib/functions.js';

export default defineRule({
  meta: {
    id: 'SUP-05',
    title: 'Container image referenced by a mutable tag instead of a digest',
    severity: 'low',
    category: 'supply-chain',
    cwe: ['CWE-494'],
    sas: 'SAS-6',
    description:
      "The function's container image is referenced by tag (`:latest`, `:v2`) rather than by digest (`@sha256:...`). Whoever can push to the repository can move the tag, and the next deployment or cold start of a new version silently picks up different code.",
    remediation: {
      general: 'Reference the image by digest (`repo@sha256:<digest>`), and enable tag immutability on the ECR repository.',
      serverless:
        'Set `image: <account>.dkr.ecr.<region>.amazonaws.com/repo@sha256:<digest>` (or let the framework build and reference it by digest).',
      cloudformation: 'Set `Code.ImageUri` to `...@sha256:<digest>`.',
      sam: 'Set `ImageUri` to `...@sha256:<digest>`.',
      terraform: 'Set `image_uri = "${aws_ecr_repository.r.repository_url}@${data.aws_ecr_image.i.image_digest}"`.',
      cdk: 'Use `DockerImageCode.fromEcr(repo, { tagOrDigest: "sha256:..." })` or `fromImageAsset` (digest-pinned).',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['novel'],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of awsFunctions(ctx.app)) {
      const uri = fn.imageUri;
      if (!isKnown(uri)) continue;
      if (uri.includes('@sha256:')) continue;
      const lastPart = uri.split('/').pop() ?? uri;
      const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : 'latest (implicit)';
      ctx.report({
        fn,
        message: `Function '${fn.name}' uses container image '${uri}' by tag ${tag}: anyone who can push to the repository can change the code it runs. Pin it by digest (@sha256:...).`,
        key: `image-tag:${uri}`,
      });
    }
  },
});
