// npm run agents:create -- --email <email> --name <name> [--password <password>] [--role <role>]
// Adds an agent who can sign in at /admin/sign-in. Without --password it asks for one on a terminal, or (when not
// on a terminal) generates one and prints it. --role defaults to "agent"; any other role can sign in but is refused
// by the admin (tests use it).
import { parseArgs } from "node:util";
import readline from "node:readline";
import { Writable } from "node:stream";
import { AgentExistsError, AgentInputError, createAgent, generatePassword } from "../../lib/auth/agents";
import { AGENT_ROLE } from "../../lib/auth/auth";
import { createPrismaClient } from "../../lib/db/prisma";
import { loadConfigOrExit } from "../../lib/config";
import { AGENT_PASSWORD_MIN_LENGTH } from "../../schemas/admin";
import { loadDotEnv } from "../lib/dotenv";

const usage = "Usage: npm run agents:create -- --email <email> --name <name> [--password <password>] [--role <role>]";

function ask(question: string, hidden: boolean): Promise<string> {
  // A muted output stream: the prompt is written, the typed characters are not echoed.
  let muted = false;
  const output = new Writable({
    write(chunk, encoding, callback) {
      if (!muted) process.stdout.write(chunk, encoding as BufferEncoding);
      callback();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stdout.write("\n");
      resolve(answer);
    });
    muted = hidden;
  });
}

async function passwordFromTerminal(): Promise<string> {
  for (;;) {
    const first = await ask(`Password (at least ${AGENT_PASSWORD_MIN_LENGTH} characters; leave empty to generate one): `, true);
    if (first === "") return "";
    if (first.length < AGENT_PASSWORD_MIN_LENGTH) {
      console.error(`That password is too short: use at least ${AGENT_PASSWORD_MIN_LENGTH} characters.`);
      continue;
    }
    const again = await ask("Password again: ", true);
    if (again === first) return first;
    console.error("The two passwords differ; try again.");
  }
}

async function main(): Promise<number> {
  let values: { email?: string; name?: string; password?: string; role?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" }, password: { type: "string" }, role: { type: "string" }, help: { type: "boolean", short: "h" } } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.email || !values.name) {
    console.error(`--email and --name are required.\n${usage}`);
    return 2;
  }
  loadDotEnv();
  const env = loadConfigOrExit();
  let password = values.password ?? "";
  if (!values.password && process.stdin.isTTY) password = await passwordFromTerminal();
  const generated = password === "";
  if (generated) password = generatePassword();

  const db = createPrismaClient(env.DATABASE_URL);
  try {
    const agent = await createAgent(db, { email: values.email, name: values.name, password, role: values.role ?? AGENT_ROLE });
    console.log(`Created ${agent.role} ${agent.name} <${agent.email}> (id ${agent.id}).`);
    if (generated) console.log(`Password: ${password}\nKeep it somewhere safe: it is stored only as a hash and cannot be shown again.`);
    return 0;
  } catch (error) {
    if (error instanceof AgentInputError) {
      console.error(`Not created: ${error.problems.join("; ")}`);
      return 2;
    }
    if (error instanceof AgentExistsError) {
      console.error(`Not created: ${error.message}`);
      return 1;
    }
    console.error(`Not created: ${(error as Error).message}`);
    return 1;
  } finally {
    await db.$disconnect();
  }
}

process.exit(await main());
