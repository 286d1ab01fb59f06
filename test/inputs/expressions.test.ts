import assert from 'node:assert/strict';
import { syntaxErrorOffset } from '../../src/inputs/read-json';
import { formatModules, parseModuleAddress, parseTraversal } from '../../src/inputs/terraform/address';
import { sesEventType } from '../../src/inputs/terraform/blocks';
import { parseStringExpression } from '../../src/inputs/terraform/expressions';
import { parentProviderKey } from '../../src/inputs/terraform/regions';

describe('inputs: expression, address and JSON helpers', () => {
  it('tells literals, single references and other expressions apart', () => {
    assert.deepEqual(parseStringExpression('ses-logs'), { kind: 'literal', value: 'ses-logs' });
    assert.deepEqual(parseStringExpression('$${not.interpolated}'), { kind: 'literal', value: '${not.interpolated}' });
    assert.deepEqual(parseStringExpression('${aws_s3_bucket.logs-A1B2.id}'), { kind: 'reference', reference: 'aws_s3_bucket.logs-A1B2.id' });
    assert.deepEqual(parseStringExpression('${ aws_s3_bucket.logs["k"].arn }'), { kind: 'reference', reference: 'aws_s3_bucket.logs["k"].arn' });
    assert.deepEqual(parseStringExpression('${aws_s3_bucket.b.arn}/*'), { kind: 'other', text: '${aws_s3_bucket.b.arn}/*', references: ['aws_s3_bucket.b.arn'] });
    // Quoted strings inside the expression are not references.
    assert.deepEqual(parseStringExpression('${var.on ? aws_kms_key.k.arn : "alias/x.y"}'), {
      kind: 'other',
      text: '${var.on ? aws_kms_key.k.arn : "alias/x.y"}',
      references: ['var.on', 'aws_kms_key.k.arn'],
    });
    assert.equal(parseStringExpression('%{ if var.x }a%{ endif }').kind, 'other');
  });

  it('parses addresses with module instances and quoted keys', () => {
    const modules = parseModuleAddress('module.ses["eu.west"].module.inner[0]');
    assert.deepEqual(modules, [{ name: 'ses', key: 'eu.west' }, { name: 'inner', key: 0 }]);
    assert.equal(formatModules(modules), 'module.ses["eu.west"].module.inner[0]');
    assert.deepEqual(parseTraversal('aws_s3_bucket.this[0].id'), [{ name: 'aws_s3_bucket' }, { name: 'this', key: 0 }, { name: 'id' }]);
  });

  it('walks provider configuration keys up the module tree', () => {
    assert.equal(parentProviderKey('module.a.module.b:aws.euw1'), 'module.a:aws.euw1');
    assert.equal(parentProviderKey('module.a:aws'), 'aws');
    assert.equal(parentProviderKey('aws'), null);
  });

  it('normalizes SES v1 and v2 event type names to the v2 enum', () => {
    assert.equal(sesEventType('renderingFailure'), 'RENDERING_FAILURE');
    assert.equal(sesEventType('deliveryDelay'), 'DELIVERY_DELAY');
    assert.equal(sesEventType('RENDERING_FAILURE'), 'RENDERING_FAILURE');
    assert.equal(sesEventType('send'), 'SEND');
    assert.equal(sesEventType('sent'), null);
  });

  it('finds the first character that breaks JSON', () => {
    assert.equal(syntaxErrorOffset('{"a": [1, 2]}'), undefined);
    assert.equal(syntaxErrorOffset('{"a": [1,, 2]}'), 9);
    assert.equal(syntaxErrorOffset('{"a": tru}'), 6);
    assert.equal(syntaxErrorOffset('{"a": "x\\"y"} extra'), 14);
    assert.equal(syntaxErrorOffset('{"a": "unterminated'), 19);
  });
});
