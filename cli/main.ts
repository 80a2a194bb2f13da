import { ConfigError } from '../src/lib/server/config';
import { CommandFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, parseCommandArgs, processIo, type Command, type Io } from './command';
import { deadlineCommand } from './commands/deadline';
import { doctorCommand } from './commands/doctor';
import { directoryExportCommand, directoryImportCommand } from './commands/directory';
import { migrateCommand } from './commands/migrate';
import { serveCommand } from './commands/serve';
import { orgCreateCommand, userDisableCommand, userInviteCommand } from './commands/accounts';
import { auditVerifyCommand } from './commands/audit';
import { keysRotateCommand } from './commands/keys';
import { backupCommand, restoreCommand } from './commands/backup';
import { remindersRunCommand } from './commands/reminders';
import { casesPurgeCommand } from './commands/cases';
import { demoGenerateCommand, demoParticipationCommand } from './commands/demo';
import { consultationListCommand } from './commands/consultation';
import { consultationExportCommand } from './commands/consultation-export';

/** Every command, in the order `relais --help` lists them. */
export const commands: Command[] = [serveCommand, migrateCommand, doctorCommand, deadlineCommand, directoryImportCommand, directoryExportCommand,
  orgCreateCommand, userInviteCommand, userDisableCommand, auditVerifyCommand, keysRotateCommand, backupCommand, restoreCommand, remindersRunCommand, casesPurgeCommand, demoGenerateCommand, demoParticipationCommand,
  consultationListCommand,
  consultationExportCommand];

function help(io: Io): void {
  io.out('Usage: relais <command> [options]   (every command takes --help and --json)\n');
  const width = Math.max(...commands.map((c) => c.name.length));
  for (const c of commands) io.out(`  ${c.name.padEnd(width)}  ${c.summary}`);
  io.out('\nExit codes: 0 ok, 1 failure, 2 bad usage.');
}

/** Runs one command line and returns the exit code; never lets a stack trace out. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [first, ...rest] = argv;
  if (!first || first === '--help' || first === '-h' || first === 'help') {
    help(io);
    return first ? EXIT_OK : EXIT_USAGE;
  }
  // Commands may have a sub-command: "directory import" is found as "directory import".
  const command =
    commands.find((c) => c.name === `${first} ${rest[0] ?? ''}`.trim()) ?? commands.find((c) => c.name === first);
  if (!command) {
    io.err(`relais: unknown command "${first}" (see relais --help)`);
    return EXIT_USAGE;
  }
  const args = command.name.includes(' ') ? rest.slice(1) : rest;
  try {
    const { values, positionals } = parseCommandArgs(command, args);
    if (values.help) {
      io.out(`Usage: ${command.usage}\n\n${command.summary}`);
      return EXIT_OK;
    }
    return await command.run({ values, positionals, io });
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`relais ${command.name}: ${error.message} (see relais ${command.name} --help)`);
      return EXIT_USAGE;
    }
    if (error instanceof CommandFailure || error instanceof ConfigError) {
      io.err(`relais ${command.name}: ${error.message}`);
      return EXIT_FAILURE;
    }
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    io.err(`relais ${command.name}: failed: ${message}`);
    return EXIT_FAILURE;
  }
}
