import { SwiftRepository } from '@strata/chunked-driver';
import { repositoryContract } from '@strata/chunked-driver/testing/repository.contract';
import { freshAccountUrl, removeAccount, startSwiftSaio } from '../support/swift-saio';

const saio = startSwiftSaio();

if (!saio) {
  describe.skip('BackupRepository contract: swift (SAIO packages absent, see scripts/swift-saio.sh)', () => {
    it('needs swift-proxy, swift-object, swift-container, swift-account and memcached', () => undefined);
  });
} else {
  repositoryContract('swift (SAIO on 127.0.0.1, tempauth)', async () => {
    const account = freshAccountUrl(saio, 'contract');
    const repository = new SwiftRepository({
      auth: { authUrl: saio.authUrl, authVersion: '1', user: saio.resellerUser, key: saio.resellerKey, storageUrl: account },
      retry: { attempts: 3, backoffSeconds: 0.05 },
    });
    return { repository, cleanup: async () => { await removeAccount(saio, account); repository.close(); } };
  });
}
