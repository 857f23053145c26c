import Foundation
import PlumbCLI

let code = await PlumbCommand.run(Array(CommandLine.arguments.dropFirst()))
exit(code)
