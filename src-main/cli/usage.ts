import { PRODUCT_VERSION, REPORT_MODULE_VERSION } from '../../src-shared/version';
import { METHOD_NAMES } from '../../src-shared/methods';

/** A command line the CLI cannot run: said with the usage, exit status 2. */
export class UsageError extends Error {}

/** What `express-report --help` prints, and a usage error after its message. */
export const USAGE = `express-report ${PRODUCT_VERSION} (report module ${REPORT_MODULE_VERSION})

Usage: express-report <command> [--data-dir DIR]

  serve [--port N]          run the backend headless and serve the settings window on 127.0.0.1
  config get [KEY]          print the settings (or one key) as JSON; passwords are masked
  config set KEY VALUE      change one setting, validated as the window does
  method list               the report methods as JSON: name, enabled, configured
  method enable NAME        enable a method (${METHOD_NAMES.join(', ')})
  method disable NAME       disable a method
  open --key-code CODE [--result-mail M] [--https] [--device-code C --serial S]
       [--warranty W] [--server-name N]
                            open (開局) with a 5-digit key code
  open --key-file FILE [--accept-hostname-mismatch]
                            open with a key file from the maintenance center
  opening show              the opening information as JSON (secrets masked)
  inf check FILE... [--json] check AMHTPADR/AMHTPLOG/AMHTPHBI.INF (exit 1 on an error)
  test --method METHOD --destination 1|2 [--result-mail M | --result-fax N]
                            send a test report; the center answers to the result destination
  test --method manager-express --destination 1|2 --user-id ID
                            到達確認テスト of the manager, under an agent's user system code
  opening-report --method METHOD [--ignore-syntax-errors] [--secondary]
                            send the opening report and the configuration information, then
                            enable the method
  report --source S --event-id ID [--log System|Application] [--message TEXT] [--wait]
                            report a fault as an event source would (通報の抑制 applies);
                            --wait waits for the first attempt
  queue [--json]            the reports waiting to be delivered (queued, sending, retrying)
  history [--json] [--state S[,S...]]
                            every report, newest first (states: queued, sending, retrying,
                            delivered, failed)
  resend ID                 queue a failed report again (same id: the center stores it once)
  terminate                 end the service (サービスの終了): nothing is reported any more
  extend --key KEY          enter an extension key (期限延長キー): new end, service running
  service status            the service's state, contract end and days left as JSON
  manager register --key-file FILE
                            宛先登録: the center's destinations for forwarding (manager-express)
  manager key [--new]       the relay key agents must be given (--new makes another one)
  manager agents [--json]   every agent that has reported; exit 1 when one is silent
  manager status            the receive services: listening, address, certificate fingerprint
  manager probe [--method M] (agent) the manager's certificate and whether it is the pinned one
  manager trust [--method M] --fingerprint FP
                            (agent) accept the manager's new certificate ("" forgets the pin)
  serial-ports [--json]     the serial ports of this machine (path, and the maker when known)
  zero-dial on|off|status [--method express|manager-express] [--json]
                            ゼロ発信: put "0," in front of both dial-up numbers (on), take it
                            off (off), or show it (status)

While \`serve\` runs, every command is carried out by it (found through <data dir>/endpoint.json).

Exit status: 0 done, 1 failure, 2 refused (bad value, unknown key, rule of the seed),
3 the key file is for another server (see --accept-hostname-mismatch).
`;
