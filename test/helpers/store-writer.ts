// Child process for the crash test: saves settings in a loop until killed. Each save carries a
// generation number and a large padding so a torn write would be visible as broken JSON.
import { defaultSettings } from '../../src-shared/settings';
import { SettingsStore } from '../../src-main/core/settings-store';

async function writeForever(file: string): Promise<never> {
  const store = new SettingsStore(file);
  const settings = defaultSettings();
  process.stdout.write('ready\n');
  for (let generation = 1; ; generation++) {
    settings.methods.express.mail.smtpHost = `gen-${generation}`;
    // ~200 KB of padding, so a write takes long enough to be interrupted half-way.
    await store.save({ ...settings, padding: 'p'.repeat(200_000) } as typeof settings);
  }
}

const file = process.argv[2];
if (!file) throw new Error('usage: store-writer FILE');
void writeForever(file);
