import { generateKeyPairSync } from 'node:crypto';
import { importSPKI, jwtVerify } from 'jose';
import { AuthHarness } from '../testing/auth-harness';
import { FirebaseAdminService } from './firebase-admin.service';

const CLIENT_EMAIL = 'firebase-adminsdk@gisbi-test.iam.gserviceaccount.com';
const CUSTOM_TOKEN_AUDIENCE = 'https://identitytoolkit.googleapis.com/google.identity.identitytoolkit.v1.IdentityToolkit';

describe(FirebaseAdminService.name, () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let harness: AuthHarness;

  beforeAll(async () => {
    harness = await AuthHarness.start({
      label: 'authfirebase',
      env: {
        FIREBASE_PROJECT_ID: 'gisbi-test',
        FIREBASE_CLIENT_EMAIL: CLIENT_EMAIL,
        // As most secret stores hold it: one line with literal \n.
        FIREBASE_PRIVATE_KEY: String(privateKey.export({ type: 'pkcs8', format: 'pem' })).replace(/\n/g, '\\n'),
        PUSH_TRANSPORT: 'recording',
      },
    });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('returns a Firebase custom token for the user, signed with the service account key', async () => {
    const sut = await harness.login('g-firebase', { name: 'Fire' });

    expect(sut.firebaseToken).toEqual(expect.any(String));
    const key = await importSPKI(String(publicKey.export({ type: 'spki', format: 'pem' })), 'RS256');
    const { payload } = await jwtVerify(sut.firebaseToken ?? '', key, {
      algorithms: ['RS256'],
      issuer: CLIENT_EMAIL,
      subject: CLIENT_EMAIL,
      audience: CUSTOM_TOKEN_AUDIENCE,
    });
    expect(payload['uid']).toBe(sut.user.id);
  });
});
